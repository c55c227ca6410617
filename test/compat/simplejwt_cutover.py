"""Tokens of "the old system" for the cut-over test: minted by Debian's real SimpleJWT under the key given.

argv: signing key, then user ids. Prints JSON: for each user id, a refresh token, its access token and an
already-expired access token, all as SimpleJWT 5.x makes them (HS256, jti, token_type, user_id, iat, exp).
"""
import json
import sys
import django
from django.conf import settings
key = sys.argv[1]
settings.configure(SECRET_KEY=key, INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"], DATABASES={},
                   SIMPLE_JWT={"ALGORITHM": "HS256", "SIGNING_KEY": key, "ROTATE_REFRESH_TOKENS": True, "BLACKLIST_AFTER_ROTATION": True})
django.setup()
from datetime import timedelta
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

out = {}
for raw in sys.argv[2:]:
    refresh = RefreshToken()
    refresh["user_id"] = int(raw)
    expired = AccessToken()
    expired["user_id"] = int(raw)
    expired.set_exp(lifetime=timedelta(seconds=-30))
    out[raw] = {"refresh": str(refresh), "access": str(refresh.access_token), "expired_access": str(expired)}
print(json.dumps(out))
