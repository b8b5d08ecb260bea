from dagster_instances import dagster_instance  # noqa: F401  (fixture)
