"""A Django project as seed 001 runs SimpleJWT (token_blacklist, ROTATE_REFRESH_TOKENS, BLACKLIST_AFTER_ROTATION), for the blacklist import test.

argv: an output directory, the signing key, then `username:password` specs. Runs Django's real migrations into
<dir>/db.sqlite3 and creates each user (pk 1, 2, ... in order) with four refresh tokens made by SimpleJWT itself:
`live` (RefreshToken.for_user, never used), `logged_out` (for_user, then .blacklist(), as seed 001's logout does),
`rotated` (presented to TokenRefreshSerializer, TokenRefreshView's rotation path, which blacklists it) and `rotated_to`
(the refresh token that rotation answered). Then one `expired` token, blacklisted after its exp (user null, as
.blacklist() records a token it did not issue). Writes `manage.py dumpdata auth.user` to <dir>/users.json and
`dumpdata token_blacklist` to <dir>/tokens.json. Prints JSON: {"users": {username: {"id", tokens...}}, "expired": token}.
"""
import json
import os
import sys

import django
from django.conf import settings

out, key = sys.argv[1], sys.argv[2]
settings.configure(
    SECRET_KEY=key,
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "rest_framework_simplejwt.token_blacklist"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(out, "db.sqlite3")}},
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    SIMPLE_JWT={"ALGORITHM": "HS256", "SIGNING_KEY": key, "ROTATE_REFRESH_TOKENS": True, "BLACKLIST_AFTER_ROTATION": True},
)
django.setup()

from datetime import timedelta
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

call_command("migrate", verbosity=0)
users = {}
for spec in sys.argv[3:]:
    username, password = spec.split(":")
    user = User.objects.create_user(username=username, email=f"{username}@example.com", password=password)
    live = RefreshToken.for_user(user)
    logged_out = RefreshToken.for_user(user)
    logged_out.blacklist()
    rotated = RefreshToken.for_user(user)
    serializer = TokenRefreshSerializer(data={"refresh": str(rotated)})
    serializer.is_valid(raise_exception=True)
    users[username] = {"id": user.pk, "live": str(live), "logged_out": str(logged_out), "rotated": str(rotated), "rotated_to": serializer.validated_data["refresh"]}
expired = RefreshToken()
expired["user_id"] = 1
expired.set_exp(lifetime=timedelta(seconds=-3600))
expired.blacklist()
call_command("dumpdata", "auth.user", output=os.path.join(out, "users.json"), verbosity=0)
call_command("dumpdata", "token_blacklist", output=os.path.join(out, "tokens.json"), verbosity=0)
print(json.dumps({"users": users, "expired": str(expired)}))
