# phigate as a container. UNTESTED on the build machine: base images cannot be pulled there (see
# docs/deployment.md, "Containers"). Everything it runs is the tested `make install` / `phigate serve`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /opt/phigate phigate

WORKDIR /opt/phigate
COPY --chown=phigate:phigate . .
USER phigate
RUN make install

# Listen on all interfaces inside the container; publish the port only to the reverse proxy's network.
ENV PHIGATE_SERVER__HOST=0.0.0.0 PHIGATE_SERVER__PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz').status != 200)"
ENTRYPOINT ["/opt/phigate/.venv/bin/phigate"]
CMD ["serve"]
