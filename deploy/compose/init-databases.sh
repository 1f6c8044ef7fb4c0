#!/bin/sh
# Runs once, when the Postgres volume is new: one database per Kring service, each owned by
# the `kring` user (the migrations create the trusted extensions they need in their own).
set -eu
for database in contacts newsletters memberships billing gateway; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -c "CREATE DATABASE $database OWNER $POSTGRES_USER ENCODING 'UTF8' TEMPLATE template0"
done
