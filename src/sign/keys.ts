// Ed25519 signing keys: generation, loading, the key id (sha256 of the DER SPKI public key), and
// detached signatures over exact bytes. Everything here is node:crypto; the same files verify
// with stock OpenSSL (`openssl pkeyutl -verify -pubin -inkey baomi.pub -rawin …`).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { chmod, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SIGNATURE_ALG = 'Ed25519';

export class KeyError extends Error {
  override readonly name = 'KeyError';
}

/** `sha256:` + hex SHA-256 of the public key's DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return 'sha256:' + createHash('sha256').update(der).digest('hex');
}

/** The public key as base64 DER SPKI (embedded in reports so integrity can be checked alone). */
export function publicKeyBase64(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

export interface KeyFiles {
  privatePath: string;
  publicPath: string;
  keyId: string;
}

/** Write `dir/baomi.key` (PKCS#8 PEM, 0600) and `dir/baomi.pub` (SPKI PEM). Refuses to overwrite. */
export async function generateKeyFiles(dir: string, overwrite = false): Promise<KeyFiles> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privatePath = join(dir, 'baomi.key');
  const publicPath = join(dir, 'baomi.pub');
  const flag = overwrite ? 'w' : 'wx';
  try {
    await writeFile(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyError(`${privatePath} already exists; not overwriting a signing key`);
    }
    throw err;
  }
  await chmod(privatePath, 0o600);
  await writeFile(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'w' });
  return { privatePath, publicPath, keyId: keyIdOf(publicKey) };
}

/**
 * A private key is used only when it is a regular file (not a symlink: whoever controls the link
 * decides what signs) and nobody but its owner can read it — refused as OpenSSH refuses an
 * unprotected key, with the command that fixes it. (Not on Windows, which has no such modes.)
 */
async function checkPrivateKeyFile(path: string): Promise<void> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    throw new KeyError(`cannot read signing key ${path}: ${(err as Error).message}`);
  }
  if (st.isSymbolicLink()) throw new KeyError(`signing key ${path} is a symbolic link: give the key file itself, not a link to it`);
  if (!st.isFile()) throw new KeyError(`signing key ${path} is not a regular file`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new KeyError(`signing key ${path} is readable by others (permissions ${mode}): anyone who can read it can sign reports; fix with: chmod 600 '${path.replace(/'/g, "'\\''")}'`);
  }
}

export async function loadPrivateKey(path: string): Promise<KeyObject> {
  await checkPrivateKeyFile(path);
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw new KeyError(`cannot read signing key ${path}: ${(err as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new KeyError(`${path} is not a private key in PEM/DER form: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(`${path} is a ${key.asymmetricKeyType ?? 'unknown'} key; baomi signs with Ed25519`);
  }
  return key;
}

export async function loadPublicKey(path: string): Promise<KeyObject> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw new KeyError(`cannot read public key ${path}: ${(err as Error).message}`);
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
    return key;
  } catch (err) {
    throw new KeyError(`${path} is not an Ed25519 public key: ${(err as Error).message}`);
  }
}

export function publicKeyFromBase64(b64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'spki' });
}

export function signBytes(data: Uint8Array, privateKey: KeyObject): Buffer {
  return cryptoSign(null, data, privateKey);
}

export function verifyBytes(data: Uint8Array, signature: Uint8Array, publicKey: KeyObject): boolean {
  try {
    return cryptoVerify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** `$XDG_CONFIG_HOME/baomi` or `~/.config/baomi` (Windows: `%APPDATA%\baomi`). */
export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'baomi');
  const base = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'] !== '' ? env['XDG_CONFIG_HOME'] : join(homedir(), '.config');
  return join(base, 'baomi');
}

/** The key a scan signs with: `--key`, else the user's default key, created on first use. */
export async function resolveSigningKey(
  keyPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  opts: { create?: boolean } = {},
): Promise<{ key: KeyObject; path: string; created: boolean }> {
  if (keyPath !== undefined) return { key: await loadPrivateKey(keyPath), path: keyPath, created: false };
  const dir = defaultKeyDir(env);
  const path = join(dir, 'baomi.key');
  try {
    return { key: await loadPrivateKey(path), path, created: false };
  } catch (err) {
    const missing = (err as Error).message.includes('ENOENT');
    if (!missing) throw err;
  }
  if (opts.create === false) throw new KeyError(`no signing key at ${path}, and none is made here (it would be written on the inspected machine): run from the kit, or give --key`);
  const files = await generateKeyFiles(dir);
  return { key: await loadPrivateKey(files.privatePath), path: files.privatePath, created: true };
}
