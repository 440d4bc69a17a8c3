"""Configuration read from the environment, so one build serves a laptop, CI and production."""

from __future__ import annotations

import os
from pathlib import Path

from app.instance import read_secret_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("KAUSHALSETU_INSTANCE", PROJECT_ROOT / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Fair use (app/fair_use.py): limits per group of expensive requests, per role where it differs.
# A group's limits, or per role ("*" for the rest). An employer pasting real job ads suggests
# skills a few times an hour; a script far more.
FAIR_USE_DEFAULT_LIMITS: dict[str, str | dict[str, str]] = {
    "linking": {
        "worker": "10 per minute;100 per day",
        "admin": "60 per minute",
        "*": "20 per minute;300 per day",
    },
    "search": "60 per minute",
    # A candidate list read every second stays under this; a crawler does not.
    "matching": "120 per minute",
    "imports": "20 per hour",
    "exports": "60 per hour",
    "registration": "10 per hour",
}
FAIR_USE_DEFAULT_SLOTS = {"linking": 1, "search": 2, "matching": 2, "imports": 1}
FAIR_USE_DEFAULT_ONE_AT_A_TIME = ("linking", "imports")


class Config:
    """The one configuration object; every setting can be overridden by an environment variable."""

    def __init__(self, **overrides: object) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY") or None
        self.SQLALCHEMY_DATABASE_URI = env.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'kaushalsetu.db'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.INSTANCE_DIR = str(INSTANCE_DIR)
        # Skill linking: "minilm" is the packaged model; "hashing" a tiny deterministic encoder for tests.
        self.ENCODER = env.get("KAUSHALSETU_ENCODER", "minilm")
        self.VECTOR_CACHE_DIR = env.get("VECTOR_CACHE_DIR", str(INSTANCE_DIR / "vectors"))
        # The packaged MiniLM exported to ONNX once (matching/onnx_bert.py), keyed by model and
        # library versions; every worker then starts from the file without importing torch.
        self.MODEL_CACHE_DIR = env.get("MODEL_CACHE_DIR", str(INSTANCE_DIR / "models"))
        # Cosine between skill label vectors above which a held skill earns partial credit for a
        # required one. Chosen on the demo taxonomy with the packaged MiniLM: MIG~TIG welding 0.83,
        # MIG~MAG 0.86, CNC milling~grinding 0.88 and hot~cold forging 0.76 are close; pairs that
        # share only a template are not ("tend screw machine"~"tend coating machine" 0.72), nor
        # welding~bookkeeping (< 0.1). Tests with the hashing encoder set their own.
        self.MATCH_CLOSENESS_THRESHOLD = float(env.get("MATCH_CLOSENESS_THRESHOLD", 0.75))
        # A process more than this many changed records behind builds its match data again
        # instead of applying the change log (app/matchmaking/match_inputs.py).
        self.MATCH_CHANGES_MAX = int(env.get("MATCH_CHANGES_MAX", 10_000))
        # Snapshots of the match data, so a new process starts without building it
        # (app/matchmaking/snapshots.py); empty turns them off.
        self.MATCH_SNAPSHOT_DIR = env.get("MATCH_SNAPSHOT_DIR", str(INSTANCE_DIR / "match_data"))
        self.REDIS_URL = env.get("REDIS_URL") or None
        # Background jobs (app/jobs): RQ queue used when REDIS_URL is set; inline otherwise.
        self.JOBS_QUEUE = env.get("JOBS_QUEUE", "kaushalsetu")
        self.JOB_TIMEOUT = int(env.get("JOB_TIMEOUT", 4 * 3600))
        # Notices (app/notices): each goes to the recipient's inbox and through a sender; "log" by
        # default, an SMS gateway over HTTP when its URL is set. Failed sends are retried with
        # back-off (base seconds x 4 per attempt) up to the given number of attempts.
        self.SMS_GATEWAY_URL = env.get("SMS_GATEWAY_URL") or None
        self.SMS_GATEWAY_KEY = env.get("SMS_GATEWAY_KEY") or None
        self.SMS_SENDER_ID = env.get("SMS_SENDER_ID", "KSETU")
        self.SMS_TIMEOUT_SECONDS = float(env.get("SMS_TIMEOUT_SECONDS", 10))
        self.NOTICE_MAX_ATTEMPTS = int(env.get("NOTICE_MAX_ATTEMPTS", 5))
        self.NOTICE_RETRY_BASE_SECONDS = int(env.get("NOTICE_RETRY_BASE_SECONDS", 30))
        # The cluster's help desk: the forgotten-password page names it to a worker who
        # registered herself, has no institution to ask for a code, and gets none by SMS.
        self.HELP_DESK_PHONE = env.get("HELP_DESK_PHONE") or None
        self.HELP_DESK_EMAIL = env.get("HELP_DESK_EMAIL") or None
        # Vector index (app/vectors): "numpy" (exact, in memory) or "pgvector" (PostgreSQL + HNSW).
        self.VECTOR_BACKEND = env.get("VECTOR_BACKEND", "numpy")
        # Times on pages (Flask-Babel) are shown in this zone; they are stored in UTC.
        self.BABEL_DEFAULT_TIMEZONE = env.get("DISPLAY_TIMEZONE", "Asia/Kolkata")
        # Sessions and cookies.
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https" if self.SESSION_COOKIE_SECURE else "http"
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_UPLOAD_BYTES", 8 * 1024 * 1024))
        self.WTF_CSRF_TIME_LIMIT = None
        # Password hashing: argon2id; tests lower the cost.
        self.ARGON2_TIME_COST = int(env.get("ARGON2_TIME_COST", 3))
        self.ARGON2_MEMORY_COST = int(env.get("ARGON2_MEMORY_COST", 65536))
        # Login throttling (Flask-Limiter); memory storage unless a Redis URL is given.
        self.RATELIMIT_STORAGE_URI = (
            env.get("RATELIMIT_STORAGE_URI") or self.REDIS_URL or "memory://"
        )
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT", "10 per minute")
        self.LOGIN_ACCOUNT_RATE_LIMIT = env.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute")
        # Fair use (app/fair_use.py): limits per group of expensive requests, as Flask-Limiter
        # strings ("20 per minute;300 per day"), one group overridable by FAIR_USE_LIMIT_<GROUP>;
        # how many such requests run at once per machine; how long one waits for its turn.
        self.FAIR_USE_LIMITS = {
            group: env.get(f"FAIR_USE_LIMIT_{group.upper()}", spec)
            for group, spec in FAIR_USE_DEFAULT_LIMITS.items()
        }
        self.FAIR_USE_SLOTS = {
            group: int(env.get(f"FAIR_USE_SLOTS_{group.upper()}", slots))
            for group, slots in FAIR_USE_DEFAULT_SLOTS.items()
        }
        self.FAIR_USE_ONE_AT_A_TIME = FAIR_USE_DEFAULT_ONE_AT_A_TIME
        self.FAIR_USE_WAIT_SECONDS = float(env.get("FAIR_USE_WAIT_SECONDS", 3))
        self.FAIR_USE_LOCK_DIR = env.get("FAIR_USE_LOCK_DIR") or str(INSTANCE_DIR / "fair_use")
        # The linker's budget per request: sentences or bullets per text, seconds of work.
        self.LINK_MAX_UNITS = int(env.get("LINK_MAX_UNITS", 80))
        self.LINK_SECONDS = float(env.get("LINK_SECONDS", 8))
        # Behind a reverse proxy, how many hops to trust for the client address (ProxyFix).
        self.TRUSTED_PROXY_COUNT = env.get("TRUSTED_PROXY_COUNT", "0")
        # Pages and assets: Bootstrap from the installed package, never a CDN.
        self.BOOTSTRAP_SERVE_LOCAL = True
        # Compressed pages and assets (Flask-Compress). The API's JSON is left to the client's
        # and proxy's choice: API clients and test tools read it as sent.
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "image/svg+xml",
        ]
        # OpenAPI document (flask-smorest).
        self.API_TITLE = "KaushalSetu API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.API_SPEC_OPTIONS = {
            "info": {
                "description": (
                    "Skill labels (`label`) are in the language asked by `?lang=mr` or `hi`, or "
                    "by Accept-Language, and English otherwise; `label_en` is always ESCO's "
                    "English label. Answers carry Content-Language."
                )
            },
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        }
        for key, value in overrides.items():
            setattr(self, key, value)
        if not self.SECRET_KEY:
            # Kept in the instance folder by `flask instance init`, so a restart logs nobody out.
            self.SECRET_KEY = read_secret_key(Path(self.INSTANCE_DIR))
