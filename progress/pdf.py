"""The promotion packet as a PDF, made on the server by WeasyPrint from the page's own HTML and
print stylesheet. WeasyPrint needs Pango (a system library): where it cannot load, `pdf_available`
is False and the page offers the browser's "Save as PDF" instead."""

import functools
import pathlib

from django.conf import settings
from django.contrib.staticfiles import finders


@functools.cache
def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except OSError:  # Pango or its fonts are missing on this machine
        return False
    return True


def _static_file(url: str, site: str) -> pathlib.Path | None:
    prefix = site + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix) :].split("?")[0]
    found = finders.find(relative) or (pathlib.Path(settings.STATIC_ROOT) / relative)
    path = pathlib.Path(found).resolve()
    return path if path.is_file() else None


def render_pdf(html: str, site: str) -> bytes:
    """`html` as a PDF. Only the site's own static files are read, from disk: nothing is fetched
    over the network (an evidence link is a link, never a resource), so no request waits on
    another one and no address a learner typed is ever opened by the server."""
    import weasyprint  # imported here: where Pango is missing, importing it raises (pdf_available)

    class StaticOnly(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_file(url, site)
            if path is None:
                raise ValueError(f"Not a static file of this site: {url}")
            return super().fetch(path.as_uri(), headers)

    return weasyprint.HTML(string=html, base_url=site + "/", url_fetcher=StaticOnly()).write_pdf()
