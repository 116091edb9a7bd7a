/** The id format of every record: 24 hexadecimal characters (a MongoDB ObjectId in the original). */
export const HEX_ID = /^[a-fA-F0-9]{24}$/;

const processRandom = crypto.getRandomValues(new Uint8Array(5));
let counter = crypto.getRandomValues(new Uint32Array(1))[0] & 0xffffff;

/**
 * A new ObjectId-shaped id: 4 bytes of seconds, 5 random bytes fixed per process,
 * 3 bytes of counter. Lowercase hex, roughly time-ordered.
 */
export function newId(now = Date.now()): string {
  counter = (counter + 1) & 0xffffff;
  const bytes = new Uint8Array(12);
  const seconds = Math.floor(now / 1000);
  bytes[0] = (seconds >>> 24) & 0xff;
  bytes[1] = (seconds >>> 16) & 0xff;
  bytes[2] = (seconds >>> 8) & 0xff;
  bytes[3] = seconds & 0xff;
  bytes.set(processRandom, 4);
  bytes[9] = (counter >>> 16) & 0xff;
  bytes[10] = (counter >>> 8) & 0xff;
  bytes[11] = counter & 0xff;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Ids are stored lowercase; a path id in either case finds its record. */
export function normalizeId(id: string): string {
  return id.toLowerCase();
}
