# The image behind the GitHub Action (action.yml: `runs.using: docker`). GitHub builds it on
# every workflow run, so every version is pinned and the layers are ordered for caching.
# The base image is pinned by digest (the multi-platform index of python:3.12.14-slim-trixie,
# which python:3.12-slim pointed at); the tag says what it is and lets Dependabot
# (.github/dependabot.yml) propose the next digest.
FROM python:3.12.14-slim-trixie@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Runtime dependencies in their own layer, so a change to gate/ does not reinstall them:
# the exact versions of requirements.txt, the pins the composite action installs too.
COPY requirements.txt /opt/cekura-gate/
RUN pip install --no-cache-dir --no-deps -r /opt/cekura-gate/requirements.txt

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
