"""The settings of the scale-out layout (docs/deployment.md «Scale-out»): a connection pool
per process, and a cache shared by every machine."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dobry.env import cache_settings, database_settings, page_cache_settings

URL = "postgres://dobry:secret@db.example.org:5432/dobry"


def test_without_a_pool_each_process_keeps_one_connection_checked_before_reuse():
    config = database_settings(URL, conn_max_age=60, pool_size=0)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5432, "dobry")
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in config.get("OPTIONS", {})


def test_a_pool_replaces_the_persistent_connection():
    config = database_settings(URL, conn_max_age=60, pool_size=6)
    # Django refuses a pool with CONN_MAX_AGE other than 0 («Pooling doesn't support
    # persistent connections»).
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 6, "timeout": 10}
    assert config["CONN_HEALTH_CHECKS"] is True  # the pool checks a connection it lends


def test_a_pool_is_refused_on_sqlite():
    with pytest.raises(ImproperlyConfigured, match="DOBRY_DB_POOL needs PostgreSQL"):
        database_settings("sqlite:////tmp/x.sqlite3", conn_max_age=60, pool_size=4)


def test_a_pooled_connection_really_opens_from_the_pool(settings):
    """The options reach psycopg_pool (pinned in requirements.txt) as Django 5.2 reads them."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    config = database_settings(URL, conn_max_age=60, pool_size=3)
    config.setdefault("TIME_ZONE", None)
    config.setdefault("AUTOCOMMIT", True)
    config.setdefault("ATOMIC_REQUESTS", False)
    config.setdefault("TEST", {})
    wrapper = DatabaseWrapper(config, alias="pool_check")
    try:
        pool = wrapper.pool
        assert (pool.min_size, pool.max_size, pool.timeout) == (1, 3, 10)
        assert pool.closed  # opened at the first connection only, after gunicorn forks
    finally:
        DatabaseWrapper._connection_pools.pop("pool_check", None)


def test_no_cache_url_keeps_the_cache_in_files_on_this_machine():
    assert cache_settings("", default_folder=Path("/srv/var/cache")) == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path("/srv/var/cache"),
    }


def test_a_redis_url_shares_the_cache_between_machines():
    assert cache_settings("redis://10.0.0.5:6379/1", default_folder=Path("/x")) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://10.0.0.5:6379/1",
    }
    replicas = cache_settings(
        "rediss://:pw@10.0.0.5:6380/0, rediss://:pw@10.0.0.6:6380/0", default_folder=Path("/x")
    )
    assert replicas["LOCATION"] == ["rediss://:pw@10.0.0.5:6380/0", "rediss://:pw@10.0.0.6:6380/0"]


def test_a_file_url_names_the_folder():
    assert cache_settings("file:///var/cache/dobry", default_folder=Path("/x"))["LOCATION"] == Path(
        "/var/cache/dobry"
    )


@pytest.mark.parametrize(
    "url",
    ["memcached://10.0.0.5:11211", "10.0.0.5:6379", "file://", "file:///", "redis://a, file:///b"],
)
def test_another_cache_url_stops_the_start_naming_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="DOBRY_CACHE_URL"):
        cache_settings(url, default_folder=Path("/x"))


def test_the_redis_client_is_installed_for_the_shared_cache():
    """Django's RedisCache imports `redis` at the first use; pinned in requirements.txt."""
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:1/0", {})
    assert cache._class is not None
    assert cache._cache._lib.__name__ == "redis"


def test_kept_pages_in_files_have_a_folder_and_a_bound_of_their_own():
    default = cache_settings("", default_folder=Path("/srv/var/cache"))
    pages = page_cache_settings(default, entries=5000)
    assert pages["LOCATION"] == "/srv/var/cache/pages"
    assert pages["OPTIONS"] == {"MAX_ENTRIES": 5000}
    assert pages["KEY_PREFIX"] == "pages"
    assert "OPTIONS" not in default  # the rate limits keep Django's bound


def test_kept_pages_in_redis_share_it_under_their_prefix():
    default = cache_settings("redis://10.0.0.5:6379/1", default_folder=Path("/x"))
    pages = page_cache_settings(default, entries=5000)
    assert pages == {**default, "KEY_PREFIX": "pages"}


def test_the_file_cache_really_keeps_more_than_djangos_300_pages(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    default = cache_settings("", default_folder=tmp_path)
    pages = page_cache_settings(default, entries=500)
    cache = FileBasedCache(pages["LOCATION"], {"OPTIONS": pages["OPTIONS"]})
    for n in range(400):
        cache.set(f"page-{n}", "x")
    assert len(list((tmp_path / "pages").glob("*.djcache"))) == 400  # Django's 300 culls
