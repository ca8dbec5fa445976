"""`python -m llmdoctor` runs the same program as the console script."""

from llmdoctor.launch import main

if __name__ == "__main__":
    main()
