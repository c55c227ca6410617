"""What Debian's real SimpleJWT answers for the token failures seed 001's clients see, as JSON on stdout.

Run by test/compat/simplejwt-seed-code.test.ts. The bodies come from SimpleJWT's own classes (the refresh view's
InvalidToken(TokenError), JWTAuthentication.get_validated_token, get_user's AuthenticationFailed); their words are
those of 5.3.1, the seeds' pin (seed-behaviour.md). `old_refresh` is a refresh JWT of "the old system": signed with a
key Gatehouse never saw, and longer than 512 characters (profile claims, a long bio).
"""
import json
import django
from django.conf import settings
settings.configure(SECRET_KEY="x", INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"], DATABASES={},
                   SIMPLE_JWT={"ALGORITHM": "HS256", "SIGNING_KEY": "gatehouse-never-saw-this"})
django.setup()
from datetime import timedelta
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

def body(exc):
    return json.loads(json.dumps(exc.detail))

def refresh_view(raw):  # TokenViewBase.post
    try:
        RefreshToken(raw)
    except TokenError as e:
        return body(InvalidToken(e.args[0]))

def bearer(raw):  # JWTAuthentication.get_validated_token
    try:
        JWTAuthentication().get_validated_token(raw)
    except InvalidToken as e:
        return body(e)

old = RefreshToken()
old["user_id"] = 1
for k, v in {"full_name": "Ada Lovelace", "username": "ada", "email": "ada@example.com", "bio": "b" * 300, "image": "default.jpg", "verified": True}.items():
    old[k] = v
old_refresh = TokenBackend("HS256", "the-old-systems-secret").encode(old.payload)
refresh_here = str(old)
access_here = str(old.access_token)
expired = AccessToken(); expired["user_id"] = 1; expired.set_exp(lifetime=timedelta(seconds=-60))
print(json.dumps({
    "old_refresh": old_refresh,
    "refresh_foreign": refresh_view(old_refresh),
    "refresh_wrong_type": refresh_view(access_here),
    "bearer_foreign": bearer(old_refresh),
    "bearer_expired": bearer(str(expired)),
    "bearer_wrong_type": bearer(refresh_here),
    "user_not_found": body(AuthenticationFailed("User not found", code="user_not_found")),
    "user_inactive": body(AuthenticationFailed("User is inactive", code="user_inactive")),
}))
