/**
 * WeCom's callback security (WXBizMsgCrypt): every callback carries `msg_signature`, the SHA-1 of
 * the sorted strings token, timestamp, nonce and the encrypted body; the body is AES-256-CBC with
 * the key `base64(EncodingAESKey + '=')` (32 bytes) and the key's first 16 bytes as IV, padded
 * PKCS#7 to 32-byte blocks. The plaintext is 16 random bytes, the message length (4 bytes,
 * network order), the message, then the receiver id (the CorpID), which must be ours.
 * Checked against the official sample vectors (test/wecom/crypto.test.ts).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { KefuError } from '../../lib/errors.js';

export class WeComCryptoError extends KefuError {
  constructor(message: string) {
    super('wecom_crypto', message);
  }
}

const BLOCK = 32;

export class WeComCrypto {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    private readonly receiveId: string,
  ) {
    if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey))
      throw new WeComCryptoError('the EncodingAESKey must be 43 letters and digits');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  /** Whether `signature` signs these values (compared in constant time). */
  verify(signature: string, timestamp: string, nonce: string, encrypted: string): boolean {
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypted));
    const given = Buffer.from(signature.toLowerCase());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The message inside `encrypted`; throws when it is not ours or not well formed. */
  decrypt(encrypted: string): string {
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
      decipher.setAutoPadding(false);
      plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    } catch {
      throw new WeComCryptoError('the body does not decrypt with the EncodingAESKey');
    }
    const pad = plain.at(-1) ?? 0;
    if (pad < 1 || pad > BLOCK || plain.length < 20 + pad)
      throw new WeComCryptoError('the decrypted body has no valid padding');
    const body = plain.subarray(0, plain.length - pad);
    const length = body.readUInt32BE(16);
    if (20 + length > body.length) throw new WeComCryptoError('the decrypted body is shorter than its length field');
    const receiver = body.subarray(20 + length).toString('utf8');
    if (receiver !== this.receiveId) throw new WeComCryptoError(`the message is for '${receiver}', not this CorpID`);
    return body.subarray(20, 20 + length).toString('utf8');
  }

  /** Encrypts as WeCom does (for replies in the callback's response, and for test stand-ins). */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const msg = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(msg.length);
    const body = Buffer.concat([random, length, msg, Buffer.from(this.receiveId, 'utf8')]);
    const pad = BLOCK - (body.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
      'base64',
    );
  }
}

/**
 * The text of a top-level element of WeCom's flat callback XML (`<Tag><![CDATA[v]]></Tag>` or
 * `<Tag>v</Tag>`), undefined when absent. The callbacks are a fixed, flat shape, so no XML parser
 * (and none of its entity expansion) is needed.
 */
export function xmlField(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${tag}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? '').trim() : undefined;
}
