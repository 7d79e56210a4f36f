"""Writes the hostile HDF5 fixtures of HostileDataTest (run with /usr/bin/python3 and h5py; committed outputs).

declared-huge.h5: a ~2 KB native-layout file whose chunked fields 'a' and 'u' declare shape
(10**9, 16, 16) float32 (1 TB each) with no chunk written: every read would return the fill value
for hours.
"""
import h5py

with h5py.File("declared-huge.h5", "w", libver="earliest") as f:
    for name in ("a", "u"):
        f.create_dataset(name, shape=(10**9, 16, 16), chunks=(1, 16, 16), dtype="f4")
    f.attrs["input"] = "a"
    f.attrs["target"] = "u"
