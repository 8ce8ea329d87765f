"""The Dashboard module's folders are layers: none reaches up (Scripts/check-layers)."""
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECK = ROOT / "Scripts" / "check-layers"


def test_no_folder_reaches_up():
    r = subprocess.run([CHECK, ROOT], capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, "")


def test_a_store_that_names_a_builder_is_caught(tmp_path):
    shutil.copytree(ROOT / "Sources" / "Dashboard", tmp_path / "Sources" / "Dashboard")
    store = tmp_path / "Sources" / "Dashboard" / "Store" / "TimeSeriesStore.swift"
    store.write_text(store.read_text() + "\nfunc leak() { _ = ModelBuilder.self }  // ModelBuilder in a comment is fine\n")
    r = subprocess.run([CHECK, tmp_path], capture_output=True, text=True)
    lines = store.read_text().count("\n")
    assert (r.returncode, r.stdout) == (1, f"Sources/Dashboard/Store/TimeSeriesStore.swift:{lines}: ModelBuilder (Builders)\n")
