import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core.mail import mail_enqueue

# A page may ask to be returned to after sign-in or sign-up, even through the e-mail confirmation
# (e.g. an invitation link opened while signed out); allauth's ?next= does not survive that.
RETURN_TO_SESSION_KEY = "accounts_return_to"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up policy and where a learner lands after signing in."""

    def is_open_for_signup(self, request) -> bool:
        # An operator can close registration with DJANGO_ALLOW_SIGNUP=0.
        return settings.ACCOUNT_ALLOW_SIGNUP

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Sign-up confirmations, password resets and the rest go through the outbox like every
        mail of ours: a worker sends them, a slow mail server never holds up the request."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        mail_enqueue(message, key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}")

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth prefixes the address with the request's host, port included: six wrong passwords
        # sent to localhost:1001, :1002, ... would each count apart. The lockout is per address.
        return credentials.get("email", credentials.get("username", "")).lower()

    def get_login_redirect_url(self, request) -> str:
        return self._return_to(request) or self._onboarding_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        # Also used when confirming the e-mail signs the new learner in.
        return self._return_to(request) or self._onboarding_url(request) or super().get_signup_redirect_url(request)

    @staticmethod
    def _return_to(request) -> str | None:
        url = request.session.pop(RETURN_TO_SESSION_KEY, None)
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            return url
        return None

    @staticmethod
    def _onboarding_url(request) -> str | None:
        if request.user.is_authenticated and request.user.onboarded_at is None:
            return reverse("accounts:onboarding")
        return None
