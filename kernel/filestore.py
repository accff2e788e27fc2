"""Where stored files live: local disk (MEDIA_ROOT) or an S3-compatible bucket (issue 22 §1).

settings.py calls `s3_storage_setting(os.environ)`: with AWS_STORAGE_BUCKET_NAME set it returns the
STORAGES["default"] entry for django-storages' S3 backend, otherwise None (local disk). Everything
else reaches files only through Django's storage API (`default_storage`, a FileField's storage), so
the code is the same for both. Kept free of Django imports: settings.py imports it.
"""

# A file being read spills to a temporary file beyond this many bytes instead of staying in memory.
S3_MAX_MEMORY_SIZE = 2 * 1024 * 1024


def s3_storage_setting(environment, media_root=None) -> dict | None:
    bucket = (environment.get("AWS_STORAGE_BUCKET_NAME") or "").strip()
    if not bucket:
        return None

    def value(name):
        return (environment.get(name) or "").strip() or None

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": value("AWS_S3_ENDPOINT_URL"),
            "access_key": value("AWS_ACCESS_KEY_ID"),
            "secret_key": value("AWS_SECRET_ACCESS_KEY"),
            "region_name": value("AWS_S3_REGION_NAME"),
            "location": value("AWS_LOCATION") or "",
            "addressing_style": value("AWS_S3_ADDRESSING_STYLE"),
            "signature_version": "s3v4",
            # The same naming as on disk: a name already taken gets a suffix, never overwritten.
            "file_overwrite": False,
            # Objects are private; nothing is served from the bucket to browsers.
            "default_acl": None,
            "querystring_auth": True,
            "max_memory_size": S3_MAX_MEMORY_SIZE,
        },
    }


def is_s3(storage) -> bool:
    # __class__, not type(): default_storage is a lazy proxy that answers with the wrapped class.
    return storage.__class__.__module__.startswith("storages.backends.s3")


def walk(storage, directory: str = ""):
    """Every file name under `directory` in the storage, sorted."""
    if is_s3(storage):  # one flat listing instead of a request per "directory"
        location = f"{storage.location.strip('/')}/" if storage.location else ""
        prefix = location + (f"{directory.strip('/')}/" if directory else "")
        return sorted(item.key[len(location) :] for item in storage.bucket.objects.filter(Prefix=prefix))
    directories, files = storage.listdir(directory)
    prefix = f"{directory.rstrip('/')}/" if directory else ""
    names = [prefix + name for name in files]
    for sub in directories:
        names.extend(walk(storage, prefix + sub))
    return sorted(names)
