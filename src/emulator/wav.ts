/** RIFF/WAVE: the 44-byte PCM header the emulator writes, and the header fields it reads back. */

export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

export interface WavInfo extends WavFormat {
  byteRate: number;
  /** Offset of the first sample byte. */
  dataOffset: number;
  /** Size the `data` chunk declares; null when unknown (streamed WAVs declare 0 or 0xFFFFFFFF). */
  declaredDataBytes: number | null;
}

export const WAV_HEADER_BYTES = 44;

export function wavHeader(format: WavFormat, dataBytes: number): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  const blockAlign = (format.channels * format.bitsPerSample) / 8;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Reads the format and data position from the first bytes of a file; null when it is not a usable WAV. */
export function parseWavHeader(head: Buffer): WavInfo | null {
  if (
    head.length < 12 ||
    head.toString('ascii', 0, 4) !== 'RIFF' ||
    head.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    return null;
  }
  let format: Omit<WavInfo, 'dataOffset' | 'declaredDataBytes'> | null = null;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= head.length) {
      format = {
        channels: head.readUInt16LE(body + 2),
        sampleRate: head.readUInt32LE(body + 4),
        byteRate: head.readUInt32LE(body + 8),
        bitsPerSample: head.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format || format.byteRate === 0) return null;
      const declared = size === 0 || size === 0xffffffff ? null : size;
      return { ...format, dataOffset: body, declaredDataBytes: declared };
    }
    offset = body + size + (size % 2);
  }
  return null;
}

/** Seconds of audio in a WAV of `totalBytes`, trusting the declared size only when the bytes are there. */
export function wavDurationS(info: WavInfo, totalBytes: number): number {
  const available = Math.max(0, totalBytes - info.dataOffset);
  const dataBytes = info.declaredDataBytes === null ? available : Math.min(info.declaredDataBytes, available);
  return dataBytes / info.byteRate;
}
