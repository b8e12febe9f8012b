# One image for all seven ipmarket services.
#
# Convention: the entrypoint is `python -m`; the container command (CMD, compose `command`,
# Kubernetes `args`) is the service package to run:
#
#   docker build -t ipmarket:local .
#   docker run --rm -e LISTING_DATABASE_URL=... ipmarket:local listing
#
# Packages: listing, license, pledge, registry_sync, webhooks, matching, ip_statistics. There is
# deliberately no default CMD: a container started without naming its service fails at once
# ("Argument expected for the -m option") instead of silently running the wrong service.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: install the project into a self-contained virtualenv --------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN python -m venv /opt/ipmarket

WORKDIR /src
# Exactly what `pip install .` needs (pyproject.toml names README.md as the readme).
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY devstack ./devstack
COPY simulators ./simulators
COPY services ./services
RUN /opt/ipmarket/bin/pip install --no-cache-dir .

# --- runtime: the virtualenv only, no source tree, no build tools, non-root ----------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/ipmarket/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN groupadd --system --gid 10001 ipmarket \
 && useradd --system --uid 10001 --gid ipmarket --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin ipmarket \
 && install -d -o 10001 -g 10001 /var/lib/ipmarket/listing-search

COPY --from=build /opt/ipmarket /opt/ipmarket
# Alembic migrations live beside each service's package in the source tree; the image keeps
# them under /opt/ipmarket/migrations/<package> and <PREFIX>MIGRATIONS_DIR points there.
COPY --from=build /src/services/listing/migrations /opt/ipmarket/migrations/listing
COPY --from=build /src/services/license/migrations /opt/ipmarket/migrations/license
COPY --from=build /src/services/pledge/migrations /opt/ipmarket/migrations/pledge
COPY --from=build /src/services/registry-sync/migrations /opt/ipmarket/migrations/registry_sync
COPY --from=build /src/services/webhooks/migrations /opt/ipmarket/migrations/webhooks
COPY --from=build /src/services/matching/migrations /opt/ipmarket/migrations/matching
COPY --from=build /src/services/statistics/migrations /opt/ipmarket/migrations/statistics

# An empty working directory: nothing on sys.path shadows the installed packages.
WORKDIR /app

# Numeric so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001

# listing 8001, license 8002, pledge 8003, registry-sync 8004, webhooks 8005,
# matching 8006, statistics 8007 (<PREFIX>HTTP_PORT).
EXPOSE 8001 8002 8003 8004 8005 8006 8007 8011 8012

ENTRYPOINT ["python", "-m"]
