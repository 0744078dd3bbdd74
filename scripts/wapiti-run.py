# Runs Debian's wapiti for scripts/security-scan.sh. Wapiti 3.0.4 (Debian 12) turns each --exclude
# pattern into a regular expression with its flags at the end ("…\Z(?ms)"), which Python 3.11
# refuses, so any --exclude crashes it. When that is so, this swaps in the same translation with
# the flags first, then runs wapiti unchanged.
import re
import sys

import wapitiCore.net.crawler as crawler


def wildcard_translate(pattern):
    return re.compile("(?ms)" + "".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z")


try:
    crawler.wildcard_translate("probe")
except re.error:
    crawler.wildcard_translate = wildcard_translate

from wapitiCore.main.wapiti import wapiti_main  # noqa: E402

sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
