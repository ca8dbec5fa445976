"""llmdoctor's built-in checks, one module each, registered through the `llmdoctor.checks` entry points."""
