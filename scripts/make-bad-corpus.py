#!/usr/bin/env python3
"""Writes test/fixtures/bad: crafted bzip2 streams, one per known failure class of bzip2
decoders, and manifest.json with CPython's verdict on each (so the tests need no Python).

The streams are written field by field by a bzip2 writer of our own (below), following the
format as deps/bzip2-1.0.8/decompress.c reads it, so that any field can be set to a value no
compressor would write. Each bad file is checked against its valid sibling: the two differ
first at the bit where the mutated field starts, and the sibling decodes (under CPython) to
the intended bytes. Deterministic: no randomness, no clock.

Run: python3 scripts/make-bad-corpus.py
"""
import bz2
import hashlib
import heapq
import json
import math
import os
import re
import sys
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'bad')
RANDTABLE = os.path.join(ROOT, 'deps', 'bzip2-1.0.8', 'randtable.c')

BLOCK_MAGIC = 0x314159265359
EOS_MAGIC = 0x177245385090
RUNA, RUNB = 0, 1
GROUP = 50  # symbols coded with one selector's table
MAX_SELECTORS = 2 + 900000 // GROUP  # 18002, libbzip2's table size


class Bits:
    """An MSB-first bit string that remembers where named fields start and end."""

    def __init__(self):
        self.bits = []
        self.fields = {}

    def put(self, value, width):
        for shift in range(width - 1, -1, -1):
            self.bits.append((value >> shift) & 1)

    def mark(self, name, start):
        self.fields[name] = (start, len(self.bits))

    def field(self, name, value, width):
        start = len(self.bits)
        self.put(value, width)
        self.mark(name, start)

    def tobytes(self):
        padded = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(
            int(''.join(map(str, padded[i : i + 8])), 2) for i in range(0, len(padded), 8)
        )


def crc(data):
    """bzip2's CRC (CRC-32, MSB first): zlib's reflected CRC-32 of bit-reversed bytes, reversed."""
    flip = bytes(int(f'{b:08b}'[::-1], 2) for b in range(256))
    return int(f'{zlib.crc32(data.translate(flip)):032b}'[::-1], 2)


def rle1(data):
    """bzip2's first stage: a run of 4..255 equal bytes becomes 4 bytes and a count byte."""
    out = bytearray()
    i = 0
    while i < len(data):
        run = 1
        while i + run < len(data) and data[i + run] == data[i] and run < 255:
            run += 1
        out += bytes([data[i]]) * min(run, 4)
        if run >= 4:
            out.append(run - 4)
        i += run
    return bytes(out)


def unrle1(block):
    """The inverse, as libbzip2 reads it: after 4 equal bytes the next byte is a count."""
    out = bytearray()
    i = 0
    while i < len(block):
        b = block[i]
        run = 1
        while run < 4 and i + run < len(block) and block[i + run] == b:
            run += 1
        out += bytes([b]) * run
        i += run
        if run == 4 and i < len(block):
            out += bytes([b]) * block[i]
            i += 1
    return bytes(out)


def rand_mask(n):
    """Which bytes of a randomised block libbzip2 XORs with 1 (its BZ_RAND_* macros)."""
    text = open(RANDTABLE).read()
    nums = [int(x) for x in re.findall(r'\d+', text[text.index('{') : text.index('}')])]
    assert len(nums) == 512
    mask, to_go, pos = [], 0, 0
    for _ in range(n):
        if to_go == 0:
            to_go, pos = nums[pos], (pos + 1) % 512
        to_go -= 1
        mask.append(1 if to_go == 1 else 0)
    return mask


def bwt(block):
    """Burrows-Wheeler transform by sorting rotations (small blocks only): last column, origPtr."""
    n = len(block)
    doubled = block + block
    order = sorted(range(n), key=lambda i: doubled[i : i + n])
    return bytes(block[(i - 1) % n] for i in order), order.index(0)


def run_symbols(length):
    """A zero run as RUNA/RUNB digits (bijective base 2, least significant first)."""
    out = []
    while length > 0:
        if length & 1:
            out.append(RUNA)
            length = (length - 1) >> 1
        else:
            out.append(RUNB)
            length = (length - 2) >> 1
    return out


def mtf_symbols(last, in_use):
    """MTF and the zero-run coding of the last column, ending with EOB."""
    seq = [b for b in range(256) if b in in_use]
    index = {b: i for i, b in enumerate(seq)}
    order = list(range(len(seq)))
    out, zeros = [], 0
    for b in last:
        j = order.index(index[b])
        if j == 0:
            zeros += 1
            continue
        out += run_symbols(zeros)
        zeros = 0
        order.insert(0, order.pop(j))
        out.append(j + 1)
    out += run_symbols(zeros)
    out.append(len(seq) + 1)
    return out


def huffman_lengths(symbols, alpha_size):
    """Code lengths of a Huffman code for the symbols' counts (+1, so every symbol has a code)."""
    heap = [(symbols.count(s) + 1, s, [s]) for s in range(alpha_size)]
    heapq.heapify(heap)
    lengths = [0] * alpha_size
    tie = alpha_size
    while len(heap) > 1:
        fa, _, a = heapq.heappop(heap)
        fb, _, b = heapq.heappop(heap)
        for s in a + b:
            lengths[s] += 1
        heapq.heappush(heap, (fa + fb, tie, a + b))
        tie += 1
    assert 1 <= min(lengths) and max(lengths) <= 20
    return lengths


def canonical_codes(lengths):
    """The codes libbzip2 assigns: by length, then by symbol, counting up."""
    codes, code = {}, 0
    for n in range(min(lengths), max(lengths) + 1):
        for s, length in enumerate(lengths):
            if length == n:
                codes[s] = (code, n)
                code += 1
        code <<= 1
    return codes


def block_from(data=None, rle=None, randomised=False):
    """The fields of a valid block for plaintext `data` (or for a given post-RLE1 block `rle`)."""
    block = rle if rle is not None else rle1(data)
    plain = unrle1(block)
    assert data is None or plain == data
    coded = block
    if randomised:
        coded = bytes(b ^ m for b, m in zip(block, rand_mask(len(block))))
    last, orig_ptr = bwt(coded)
    in_use = set(coded)
    symbols = mtf_symbols(last, in_use)
    alpha = len(in_use) + 2
    nsel = math.ceil(len(symbols) / GROUP)
    flat = [max(1, math.ceil(math.log2(alpha)))] * alpha
    return {
        'crc': crc(plain),
        'rand': 1 if randomised else 0,
        'orig_ptr': orig_ptr,
        'in_use': in_use,
        'n_groups': 2,
        # Two different tables, used in turn, so that table switching is exercised.
        'selectors': [i % 2 for i in range(nsel)],
        'tables': [huffman_lengths(symbols, alpha), flat],
        'symbols': symbols,
        'plain': plain,
    }


def raw_table_of(lengths):
    """One table's delta coding as (value, width) pairs, as write_block writes it."""
    out, curr = [(lengths[0], 5)], lengths[0]
    for length in lengths:
        while curr < length:
            out.append((0b10, 2))
            curr += 1
        while curr > length:
            out.append((0b11, 2))
            curr -= 1
        out.append((0, 1))
    return out


def write_block(bits, b):
    """One block, field by field, in the order decompress.c reads them. Keys in `b` beyond those
    of block_from override what a compressor would write."""
    bits.field('block_magic', b.get('magic', BLOCK_MAGIC), 48)
    bits.field('block_crc', b['crc'] ^ b.get('crc_xor', 0), 32)
    bits.field('rand_bit', b['rand'], 1)
    bits.field('orig_ptr', b['orig_ptr'], 24)

    start = len(bits.bits)
    ranges = [r for r in range(16) if any(16 * r + k in b['in_use'] for k in range(16))]
    bits.put(sum(1 << (15 - r) for r in ranges), 16)
    for r in ranges:
        bits.put(sum(1 << (15 - k) for k in range(16) if 16 * r + k in b['in_use']), 16)
    bits.mark('bitmap', start)

    bits.field('n_groups', b.get('n_groups_field', b['n_groups']), 3)
    selectors = b['selectors']
    bits.field('n_selectors', b.get('n_selectors_field', len(selectors)), 15)
    start = len(bits.bits)
    mtf = b.get('selector_mtf')
    if mtf is None:
        order, mtf = list(range(b['n_groups'])), []
        for s in selectors:
            j = order.index(s)
            mtf.append(j)
            order.insert(0, order.pop(j))
    for j in mtf:
        bits.put((1 << (j + 1)) - 2, j + 1)  # j ones, then a zero
    bits.mark('selectors', start)

    start = len(bits.bits)
    if 'raw_tables' in b:
        for value, width in b['raw_tables']:
            bits.put(value, width)
    else:
        for lengths in b['tables']:
            curr = lengths[0]
            bits.put(curr, 5)
            for length in lengths:
                while curr < length:
                    bits.put(0b10, 2)
                    curr += 1
                while curr > length:
                    bits.put(0b11, 2)
                    curr -= 1
                bits.put(0, 1)
    bits.mark('tables', start)

    start = len(bits.bits)
    if 'raw_data' in b:
        for value, width in b['raw_data']:
            bits.put(value, width)
    else:
        codes = [canonical_codes(t) for t in b['tables']]
        for i, s in enumerate(b['symbols']):
            code, width = codes[selectors[i // GROUP]][s]
            bits.put(code, width)
    bits.mark('data', start)


def stream(blocks, level=1, magic=b'BZh', level_byte=None, eos_magic=EOS_MAGIC, ccrc_xor=0):
    """A whole stream: header, blocks, end-of-stream marker and combined CRC, zero padding."""
    bits = Bits()
    start = len(bits.bits)
    for byte in magic + bytes([level_byte if level_byte is not None else 0x30 + level]):
        bits.put(byte, 8)
    bits.mark('stream_header', start)
    combined = 0
    for b in blocks:
        write_block(bits, b)
        combined = (((combined << 1) | (combined >> 31)) & 0xFFFFFFFF) ^ b['crc']
    bits.field('eos_magic', eos_magic, 48)
    bits.field('combined_crc', combined ^ ccrc_xor, 32)
    return bits


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a.bits, b.bits)):
        if x != y:
            return i
    return min(len(a.bits), len(b.bits))


def verdict(data):
    """CPython's bz2.decompress, one BZ2Decompressor fed it whole, and one fed byte by byte."""
    entry = {}
    try:
        out = bz2.decompress(data)
        entry['decompress'] = {'length': len(out), 'sha256': hashlib.sha256(out).hexdigest()}
    except Exception as e:  # the verdict is the exception, whatever it is
        entry['decompress'] = {'error': type(e).__name__, 'message': str(e)}
    d = bz2.BZ2Decompressor()
    try:
        out = d.decompress(data)
        entry['single'] = {
            'length': len(out),
            'sha256': hashlib.sha256(out).hexdigest(),
            'eof': d.eof,
            'unused': len(d.unused_data),
        }
    except Exception as e:
        entry['single'] = {'error': type(e).__name__, 'message': str(e)}
    # Byte by byte: where the error is raised (bytes fed, the failing one included) and what
    # came out before it; this also places the failing check in the file.
    d, got = bz2.BZ2Decompressor(), 0
    for i in range(len(data)):
        try:
            got += len(d.decompress(data[i : i + 1]))
        except OSError as e:
            entry['bytewise'] = {'error': type(e).__name__, 'at': i + 1, 'before': got}
            break
        if d.eof:
            entry['bytewise'] = {'eof_at': i + 1, 'length': got}
            break
    else:
        entry['bytewise'] = {'length': got, 'eof': False}
    return entry


def main():
    files = {}  # name -> (bytes, what, expected failing byte or None)

    def add(name, what, bits, sibling=None, field=None, expect=None):
        """`expect`: the number of bytes after which libbzip2 must fail, computed from where the
        checked field ends; verdict() measures it, and main() compares."""
        data = bits if isinstance(bits, bytes) else bits.tobytes()
        if sibling is not None:
            # The mutation is where it is meant to be: nothing before the field changed.
            at = first_difference(sibling, bits)
            assert at >= bits.fields[field][0], (name, at, bits.fields[field])
            assert at < bits.fields[field][1] or field == 'data', (name, at, bits.fields[field])
        files[name] = (data, what, expect)

    text = b''.join(
        b'%d: the quick brown fox jumps over the lazy dog; ' % i + bytes([65 + i % 26]) * (i % 9)
        for i in range(60)
    )
    base = block_from(text)
    good = stream([base])
    assert bz2.decompress(good.tobytes()) == text
    assert len(base['selectors']) >= 10 and base['plain'] == text
    add(
        'valid-base.bz2',
        f'the valid sibling of the mutations: {len(text)} bytes, 2 tables, '
        f'{len(base["selectors"])} selectors alternating between them',
        good,
    )

    def mutated(name, what, field, expect=None, **changes):
        b = dict(base, **{k: v for k, v in changes.items() if k not in ('stream',)})
        bits = stream([b], **changes.get('stream', {}))
        add(name, what, bits, sibling=good, field=field, expect=expect)

    def byte_of(bit):
        """Bytes to feed before bit number `bit` (0-based) has been read."""
        return bit // 8 + 1

    f = good.fields
    t1_start = f['tables'][0] + sum(w for _, w in raw_table_of(base['tables'][0]))

    # CVE-2019-12900: 1.0.6 wrote selectors past its 18002-entry table; 1.0.7 rejected counts
    # above it; 1.0.8 reads them all (each still checked), keeps the first 18002 and clamps.
    sel = base['selectors'] + [1 - base['selectors'][-1]] * (32767 - len(base['selectors']))
    mutated(
        'selectors-32767.bz2',
        'nSelectors 32767 (15-bit maximum), past libbzip2\'s 18002: 1.0.8 ignores the excess',
        'n_selectors',
        selectors=sel,
    )
    mtf = [base['selectors'][0]] + [1] * (len(base['selectors']) - 1) + [0] * (
        MAX_SELECTORS - len(base['selectors'])
    ) + [2]
    mutated(
        'selectors-ignored-bad-table.bz2',
        'nSelectors 18003; the one past the clamp (ignored by 1.0.8) names table 2 of 2',
        'n_selectors',
        expect=byte_of(f['selectors'][0] + 1 + 2 * (len(base['selectors']) - 1) + MAX_SELECTORS
                       - len(base['selectors']) + 1),
        n_selectors_field=len(mtf),
        selector_mtf=mtf,
    )
    bad_mtf = [0, 1, 1, 2] + [1] * (len(base['selectors']) - 4)
    mutated(
        'selector-no-such-table.bz2',
        'the 4th selector (MTF value 2) names table 2 of 2',
        'selectors',
        expect=byte_of(f['selectors'][0] + 1 + 2 + 2 + 1),
        selector_mtf=bad_mtf,
    )
    mutated('selectors-zero.bz2', 'nSelectors 0', 'n_selectors',
            expect=byte_of(f['n_selectors'][1] - 1), n_selectors_field=0, selector_mtf=[])
    mutated('ngroups-1.bz2', 'nGroups 1 (must be 2..6)', 'n_groups', expect=byte_of(f['n_groups'][1] - 1), n_groups_field=1)
    mutated('ngroups-7.bz2', 'nGroups 7 (must be 2..6)', 'n_groups', expect=byte_of(f['n_groups'][1] - 1), n_groups_field=7)

    alpha = len(base['in_use']) + 2
    t0, t1 = base['tables']

    def tables_with(second):
        return raw_table_of(t0) + second

    mutated(
        'code-length-0.bz2',
        'table 1 starts at code length 0 (must be 1..20)',
        'tables',
        expect=byte_of(t1_start + 4),
        raw_tables=tables_with([(0, 5)] + [(0, 1)] * alpha),
    )
    mutated(
        'code-length-0-by-delta.bz2',
        'table 1 starts at 1 and its first delta steps down to 0',
        'tables',
        expect=byte_of(t1_start + 6),
        raw_tables=tables_with([(1, 5), (0b11, 2)] + [(0, 1)] * alpha),
    )
    mutated(
        'code-length-21.bz2',
        'table 1 starts at 20 and its first delta steps up to 21',
        'tables',
        expect=byte_of(t1_start + 6),
        raw_tables=tables_with([(20, 5), (0b10, 2)] + [(0, 1)] * alpha),
    )
    assert t1 == [t1[0]] * alpha  # so the sibling's table 1 starts with another value

    mutated(
        'origptr-over-limit.bz2',
        'origPtr 100011 at level 1: past 10 + 100000 x level, refused in the block header',
        'orig_ptr',
        expect=byte_of(f['orig_ptr'][1] - 1),
        orig_ptr=100011,
    )
    mutated(
        'origptr-past-block.bz2',
        f'origPtr {len(rle1(text))} = nblock: passes the header check, refused after the data',
        'orig_ptr',
        expect=byte_of(f['data'][1] - 1),
        orig_ptr=len(rle1(text)),
    )
    mutated('bad-block-crc.bz2', 'block CRC with its low bit flipped', 'block_crc',
            expect=byte_of(f['data'][1] - 1), crc_xor=1)
    mutated(
        'bad-block-magic.bz2',
        'block magic 0x314159265358',
        'block_magic',
        expect=byte_of(f['block_magic'][1] - 1),
        magic=BLOCK_MAGIC ^ 1,
    )
    mutated(
        'bad-combined-crc.bz2',
        'combined CRC with its low bit flipped (the block is good)',
        'combined_crc',
        expect=byte_of(f['combined_crc'][1] - 1),
        stream={'ccrc_xor': 1},
    )
    mutated(
        'bad-eos-magic.bz2',
        'end-of-stream magic 0x177245385091',
        'eos_magic',
        expect=byte_of(f['eos_magic'][1] - 1),
        stream={'eos_magic': EOS_MAGIC ^ 1},
    )
    mutated('bad-stream-magic.bz2', 'stream header BZx1', 'stream_header', expect=3,
            stream={'magic': b'BZx'})
    mutated('bad-level-0.bz2', 'stream header BZh0', 'stream_header', expect=4,
            stream={'level_byte': 0x30})
    mutated('bitmap-empty.bz2', 'no byte value in use (nInUse 0)', 'bitmap',
            expect=byte_of(f['bitmap'][0] + 15), in_use=set())
    mutated(
        'randomised-bit-unmasked.bz2',
        'the randomised bit set on a block that was not randomised: its CRC fails',
        'rand_bit',
        expect=byte_of(f['data'][1] - 1),
        rand=1,
    )

    # Data that matches no code word of an incomplete code (libbzip2 reads up to 20 bits).
    tiny = block_from(b'ab')
    tiny_bits = stream([tiny])
    assert len(tiny['in_use']) + 2 == 4
    add(
        'huffman-unused-codeword.bz2',
        'code lengths 1,2,3,4 for 4 symbols leave the word 1111 unused; the data is all ones',
        stream([dict(tiny, tables=[[1, 2, 3, 4], [1, 2, 3, 4]], raw_data=[(1, 1)] * 64)]),
        sibling=tiny_bits,
        field='tables',
    )

    # A block with no symbol but EOB: nblock 0, so any origPtr is out of range.
    empty = dict(base, in_use={0x41}, selectors=[0], symbols=[2], tables=[[1, 2, 2], [1, 2, 2]])
    add('empty-block.bz2', 'a block of EOB alone (nblock 0, origPtr 0)', stream([dict(empty, orig_ptr=0)]))

    # CVE-2010-0405: a zero run longer than the block. Level 1 holds 100000 bytes; a run of
    # 100000 'a' is valid (its sibling), 100001 overflows (the CRC stays the sibling's).
    def run_block(length, level=1):
        run = dict(
            crc=crc(unrle1(b'a' * 100000)),
            rand=0,
            orig_ptr=0,
            in_use={0x61},
            n_groups=2,
            plain=None,
        )
        symbols = run_symbols(length) + [2]
        run['symbols'] = symbols
        run['selectors'] = [0] * math.ceil(len(symbols) / GROUP)
        run['tables'] = [[1, 2, 2], [1, 2, 2]]
        return stream([run], level=level)

    run_ok = run_block(100000)
    assert bz2.decompress(run_ok.tobytes()) == unrle1(b'a' * 100000)
    add('run-fills-block.bz2', 'a RUNA/RUNB run of exactly 100000 at level 1: valid', run_ok)
    add(
        'run-longer-than-block.bz2',
        'a RUNA/RUNB run of 100001 at level 1 (CVE-2010-0405)',
        run_block(100001),
        sibling=run_ok,
        field='data',
    )
    overflow = dict(
        crc=0, rand=0, orig_ptr=0, in_use={0x61}, n_groups=2, plain=None,
        symbols=[RUNA] * 22 + [2], selectors=[0], tables=[[1, 2, 2], [1, 2, 2]],
    )
    add(
        'run-22-digits.bz2',
        '22 RUNA digits at level 9: the run counter reaches 2^21, libbzip2\'s guard',
        stream([overflow], level=9),
    )

    # Randomised blocks (old bzip2 wrote them; 1.0.8 still reads them): the bytes are masked
    # with the rand table before the BWT, so more than 618 bytes are needed for any flip.
    rtext = text * 2
    rb = block_from(rtext, randomised=True)
    assert sum(rand_mask(len(rle1(rtext)))) >= 3
    rbits = stream([rb])
    assert bz2.decompress(rbits.tobytes()) == rtext
    add('randomised-valid.bz2', f'a randomised block ({sum(rand_mask(len(rle1(rtext))))} bytes masked): valid', rbits)
    add(
        'randomised-bit-cleared.bz2',
        'the same randomised block with its randomised bit cleared: its CRC fails',
        stream([dict(rb, rand=0)]),
        sibling=rbits,
        field='rand_bit',
    )
    # The block CRC is of the plaintext, so randomising leaves it as it was.
    assert block_from(rtext)['crc'] == rb['crc']

    # Truncation at every structural point of the valid sibling.
    whole = good.tobytes()

    def cut_inside(name):
        start, end = f[name]
        cut = (start + end) // 16
        assert start < cut * 8 < end, (name, start, end)
        return cut

    cuts = [
        ('after-header', 4, 'after the stream header'),
        ('after-block-magic', f['block_magic'][1] // 8, 'after the block magic'),
        ('mid-block-crc', cut_inside('block_crc'), 'inside the block CRC'),
        ('mid-bitmap', cut_inside('bitmap'), 'inside the symbol bitmap'),
        ('mid-selectors', cut_inside('selectors'), 'inside the selectors'),
        ('mid-tables', cut_inside('tables'), 'inside the code-length tables'),
        ('mid-data', cut_inside('data'), 'inside the Huffman-coded data'),
        ('after-block', byte_of(f['data'][1] - 1), 'after the block\'s last bit, before the rest of the end-of-stream magic'),
        ('mid-eos-magic', cut_inside('eos_magic'), 'inside the end-of-stream magic'),
        ('mid-combined-crc', cut_inside('combined_crc'), 'inside the combined CRC'),
        ('last-byte', len(whole) - 1, 'without its last byte'),
    ]
    for tag, cut, where in cuts:
        add(f'truncated-{tag}.bz2', f'the valid sibling cut {where}: {cut} of {len(whole)} bytes', whole[:cut])

    # A bomb: one level-9 block of 180000 x (0 0 0 0 251), the RLE1 form of 180000 runs of 255
    # zeros, is 45.9 MB of output. Its BWT is known without sorting: the rotations of a
    # periodic block sort as those of its period, each repeated, so the last column is 251 x n
    # then 0 x 4n, and the original rotation is first.
    n = 180000
    bomb_symbols = [2] + run_symbols(n - 1) + [2] + run_symbols(4 * n - 1) + [3]
    # The shortest codes go to RUNA and RUNB, which are almost all the data.
    bomb = dict(
        crc=crc(bytes(255 * n)), rand=0, orig_ptr=0, in_use={0, 251}, n_groups=2, plain=None,
        symbols=bomb_symbols, selectors=[0], tables=[[1, 2, 3, 3], [1, 2, 3, 3]],
    )
    bomb_bits = stream([bomb], level=9)
    out = bz2.decompress(bomb_bits.tobytes())
    assert out == bytes(255 * n)
    add('bomb-46mb.bz2', f'one block that expands to {255 * n} zero bytes', bomb_bits)

    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    manifest = []
    for name in sorted(files):
        data, what, expect = files[name]
        with open(os.path.join(OUT, name), 'wb') as fh:
            fh.write(data)
        entry = {'file': name, 'what': what, 'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()}
        entry.update(verdict(data))
        if expect is not None:
            assert entry['bytewise'].get('at') == expect, (name, entry['bytewise'], expect)
        manifest.append(entry)
        print(name, len(data), entry['decompress'].get('error', 'ok'), entry['bytewise'], file=sys.stderr)
    with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
        json.dump(
            {'python': sys.version.split()[0], 'libbzip2': bzlib_version(), 'files': manifest},
            fh,
            indent=1,
        )
        fh.write('\n')


def bzlib_version():
    import ctypes
    import ctypes.util

    lib = ctypes.CDLL(ctypes.util.find_library('bz2') or 'libbz2.so.1.0')
    lib.BZ2_bzlibVersion.restype = ctypes.c_char_p
    return lib.BZ2_bzlibVersion().decode()


if __name__ == '__main__':
    main()
