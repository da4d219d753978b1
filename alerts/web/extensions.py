"""The console's Flask extensions, created unbound and initialised by :func:`alerts.web.init_console`
(a module of their own so the console's blueprints can import them without importing the package
that registers those blueprints)."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
login_manager = LoginManager()
