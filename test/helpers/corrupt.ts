/** A copy of `data` with bit `bit` (counted from the first byte's least significant bit) flipped. */
export function flipBit(data: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(data);
  const index = bit >> 3;
  copy.writeUInt8((copy.readUInt8(index) ^ (1 << (bit & 7))) & 0xff, index);
  return copy;
}
