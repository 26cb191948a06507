/**
 * Which uploads the Direct Line accepts, decided from the file's first bytes and never from the
 * name or the declared content type alone: a shopper's evidence is shown to agents in a browser,
 * so an HTML or SVG file dressed up as `image/png` must not get in.
 */

export interface AllowedType {
  contentType: string;
  label: string;
  extension: string;
}

const JPEG: AllowedType = { contentType: 'image/jpeg', label: 'JPEG image', extension: 'jpg' };
const PNG: AllowedType = { contentType: 'image/png', label: 'PNG image', extension: 'png' };
const WEBP: AllowedType = { contentType: 'image/webp', label: 'WebP image', extension: 'webp' };
const GIF: AllowedType = { contentType: 'image/gif', label: 'GIF image', extension: 'gif' };
const MP4: AllowedType = { contentType: 'video/mp4', label: 'MP4 video', extension: 'mp4' };
const PDF: AllowedType = { contentType: 'application/pdf', label: 'PDF document', extension: 'pdf' };

export const ALLOWED_TYPES: readonly AllowedType[] = [JPEG, PNG, WEBP, GIF, MP4, PDF];

/** Declared types that say nothing about the content, so only the magic bytes decide. */
const GENERIC_DECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
/** Spellings browsers and phones use for the same allowed type. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
};

function ascii(data: Uint8Array, at: number, text: string): boolean {
  if (data.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

export function sniff(data: Uint8Array): AllowedType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return JPEG;
  if (data.length >= 8 && data[0] === 0x89 && ascii(data, 1, 'PNG\r\n\x1a\n')) return PNG;
  if (ascii(data, 0, 'RIFF') && ascii(data, 8, 'WEBP')) return WEBP;
  if (ascii(data, 0, 'GIF87a') || ascii(data, 0, 'GIF89a')) return GIF;
  if (ascii(data, 4, 'ftyp')) return MP4;
  if (ascii(data, 0, '%PDF-')) return PDF;
  return undefined;
}

export const ALLOWED_LIST = ALLOWED_TYPES.map((t) => t.label).join(', ');

/**
 * The type of an upload, or a sentence saying why it is refused: the content is not one of the
 * allowed types, or it contradicts the type the client declared.
 */
export function checkFileType(data: Uint8Array, declared: string, name: string): AllowedType | string {
  const found = sniff(data);
  if (found === undefined) return `'${name}' is not an allowed file type (expected one of: ${ALLOWED_LIST})`;
  const base = declared.split(';')[0]!.trim().toLowerCase();
  const normal = ALIASES[base] ?? base;
  if (!GENERIC_DECLARED.has(normal) && normal !== found.contentType) {
    return `'${name}' is declared as ${base} but its content is a ${found.label}`;
  }
  return found;
}
