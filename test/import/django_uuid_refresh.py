"""A Django project with seed 004's users app (users.User and users.RefreshToken), for the refresh-token import test.

argv: an output directory, then `email:password[:expired]` specs. Writes the app (models as seed 004 defines them,
without django-constance: expires_at is set here, 30 days after creation or 1 hour before now for `expired`), runs
Django's makemigrations and migrate into <dir>/db.sqlite3, creates each user (pk 1, 2, ... in order) and one refresh
token (RefreshToken.objects.create, as seed 004's login does), then writes `manage.py dumpdata users.user` to
<dir>/users.json and `dumpdata users.refreshtoken` to <dir>/tokens.json. Prints JSON: {email: {"id": pk, "token": uuid}}.
"""
import json
import os
import sys

out = sys.argv[1]
app_dir = os.path.join(out, "users")
os.makedirs(os.path.join(app_dir, "migrations"), exist_ok=True)
for name in ("__init__.py", os.path.join("migrations", "__init__.py")):
    open(os.path.join(app_dir, name), "w").close()
with open(os.path.join(app_dir, "models.py"), "w") as f:
    f.write('''import uuid
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.timezone import now


class CustomUserManager(BaseUserManager):
    def create_user(self, email, password=None, **extra_fields):
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    username = models.CharField(max_length=150, blank=True, null=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)

    objects = CustomUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []


class RefreshToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="refresh_tokens")
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def is_expired(self):
        return now() > self.expires_at
''')
sys.path.insert(0, out)

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="import-test",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "users"],
    AUTH_USER_MODEL="users.User",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(out, "db.sqlite3")}},
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)
django.setup()

from datetime import timedelta
from django.core.management import call_command
from django.utils.timezone import now
from users.models import RefreshToken, User

call_command("makemigrations", "users", verbosity=0)
call_command("migrate", verbosity=0)
made = {}
for spec in sys.argv[2:]:
    email, password, *flags = spec.split(":")
    user = User.objects.create_user(email=email, password=password)
    expires = now() - timedelta(hours=1) if "expired" in flags else now() + timedelta(days=30)
    made[email] = {"id": user.pk, "token": str(RefreshToken.objects.create(user=user, expires_at=expires).token)}
call_command("dumpdata", "users.user", output=os.path.join(out, "users.json"), verbosity=0)
call_command("dumpdata", "users.refreshtoken", output=os.path.join(out, "tokens.json"), verbosity=0)
print(json.dumps(made))
