# The image behind the GitHub Action (action.yml: `runs.using: docker`). GitHub builds it on
# every workflow run, so every version is pinned and the layers are ordered for caching.
FROM python:3.12.8-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Runtime dependencies in their own layer, so a change to gate/ does not reinstall them.
# Keep these pins within the ranges of pyproject.toml (tests/test_action.py checks).
RUN pip install --no-cache-dir \
    requests==2.34.2 \
    pyyaml==6.0.3 \
    jinja2==3.1.6 \
    jsonschema-rs==0.60.3

# Sources go to a fixed directory by COPY target: no WORKDIR, because GitHub mounts the
# user's repository as the working directory (/github/workspace) and relative paths in
# inputs must resolve there. No USER either: the runner expects the container to run as root.
COPY pyproject.toml README.md /opt/cekura-gate/
# gate/examples/gate.yml (the demo's config) links to examples/gate.yml: copy its target too.
COPY examples/gate.yml /opt/cekura-gate/examples/
COPY gate/ /opt/cekura-gate/gate/
RUN pip install --no-cache-dir --no-deps /opt/cekura-gate

ENTRYPOINT ["cekura-gate"]
CMD ["check"]
