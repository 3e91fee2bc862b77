// Observations of `security.posture`: one fact per setting (kind), with where it was read.
export interface PostureFact {
  [field: string]: unknown;
  kind: 'auto-logon' | 'guest-account' | 'screen-lock' | 'remote-desktop' | 'share' | 'firewall' | 'autorun' | 'usb-storage-policy' | 'empty-password' | 'ssh' | 'boot-menu';
  source: string;
}
