"""Makes the moto launcher (local/src/main/resources/local/moto_server.py) importable."""
import pathlib
import sys

LAUNCHER_DIR = pathlib.Path(__file__).resolve().parents[2] / "main" / "resources" / "local"
sys.path.insert(0, str(LAUNCHER_DIR))
