"""sync_pipeline: keeps 24SevenOffice (ERP) and Ongoing WMS in step, as a Dagster code location."""
