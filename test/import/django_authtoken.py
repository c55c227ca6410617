"""A Django project with rest_framework.authtoken, as seeds 000 and 003 run it, for the token import test.

argv: an output directory, then `username:password[:inactive]` specs. Runs Django's real migrations into
<dir>/db.sqlite3, creates each user (pk 1, 2, ... in order) and its DRF key (Token.objects.create), then
writes `manage.py dumpdata auth.user` to <dir>/users.json and `dumpdata authtoken` to <dir>/tokens.json.
Prints JSON: {username: {"id": pk, "key": key}}.
"""
import json
import os
import sys

import django
from django.conf import settings

out = sys.argv[1]
settings.configure(
    SECRET_KEY="import-test",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "rest_framework.authtoken"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(out, "db.sqlite3")}},
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.authtoken.models import Token

call_command("migrate", verbosity=0)
made = {}
for spec in sys.argv[2:]:
    username, password, *flags = spec.split(":")
    user = User.objects.create_user(username=username, email=f"{username.lower()}@example.com", password=password, is_active="inactive" not in flags)
    made[username] = {"id": user.pk, "key": Token.objects.create(user=user).key}
call_command("dumpdata", "auth.user", output=os.path.join(out, "users.json"), verbosity=0)
# The whole app, as an operator would dump it: DRF's TokenProxy admin model is not serialized with it.
call_command("dumpdata", "authtoken", output=os.path.join(out, "tokens.json"), verbosity=0)
print(json.dumps(made))
