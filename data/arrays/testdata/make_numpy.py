#!/usr/bin/python3
"""Make the .npy files under testdata/ with real NumPy (Debian python3-numpy 1.24.2),
and check that NumPy reads the file fugo's WriteNPY made (fugo_written.npy, rewritten by
`go test -run TestNPYTestdata -update`).

Run from data/arrays/testdata: /usr/bin/python3 make_numpy.py
npy_test.go holds the values expected from each file, typed independently of this script.
"""
import numpy as np
from numpy.lib import format as npf

print("numpy", np.__version__)


def save(name, arr, version=None):
    with open(name, "wb") as f:
        npf.write_array(f, arr, version=version)


save("np_f4_2x3.npy", np.array([[1, -2.5, 3e-5], [np.inf, -0.0, 7]], dtype="<f4"))
save("np_f8_2x3x4.npy", np.arange(24, dtype="<f8").reshape(2, 3, 4) / 7)
save("np_u1_5.npy", np.array([0, 1, 127, 128, 255], dtype="|u1"))
save("np_i4_1x3.npy", np.array([[-2147483648, 0, 2147483647]], dtype="<i4"))
save("np_i8_scalar.npy", np.array(-5, dtype="<i8"))
save("np_f4_0x3.npy", np.zeros((0, 3), dtype="<f4"))
save("np_f4_v2.npy", np.array([1.5, 2.5], dtype="<f4"), version=(2, 0))
save("np_f4_v3.npy", np.array([1.5, 2.5], dtype="<f4"), version=(3, 0))
# Broken for fugo: column-major, big-endian, bool.
save("bad_np_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
save("bad_np_bigendian.npy", np.array([1, 2], dtype=">f4"))
save("bad_np_bool.npy", np.array([True, False]))

got = np.load("fugo_written.npy")
want = np.array([[1, -2.5, 3e-5], [np.inf, -0.0, 7]], dtype="<f4")
assert got.dtype == np.dtype("<f4") and got.shape == (2, 3), (got.dtype, got.shape)
assert np.array_equal(got.view("<u4"), want.view("<u4")), got
got = np.load("fugo_written_scalar.npy")
assert got.shape == () and got == np.float32(0.1), got
print("ok: NumPy reads fugo_written.npy and fugo_written_scalar.npy")
