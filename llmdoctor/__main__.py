"""`python -m llmdoctor` runs the same CLI as the console script."""

from llmdoctor.cli import entry

if __name__ == "__main__":
    entry()
