/** Layout constants of the regf format shared by the modules. */

/** Size of the base block; all cell offsets are relative to this position. */
export const HBIN_START = 0x1000;
/** "No cell" marker used in offset fields. */
export const NO_OFFSET = 0xffffffff;
