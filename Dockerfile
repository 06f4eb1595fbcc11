# MindooDB server image: `docker build -t mindoodb .`
# Build stage: the release binary (RocksDB's C++ needs libclang for bindgen and g++).
FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libclang-dev g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin mindoodb \
 && install -m 0755 target/release/mindoodb /usr/local/bin/mindoodb

# Runtime stage: the binary, libstdc++ (RocksDB) and pg_isready for the health check.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 postgresql-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 999 mindoodb \
 && useradd --system --uid 999 --gid mindoodb --home-dir /var/lib/mindoodb --shell /usr/sbin/nologin mindoodb \
 && mkdir -p /var/lib/mindoodb \
 && chown mindoodb:mindoodb /var/lib/mindoodb \
 && chmod 0700 /var/lib/mindoodb
COPY --from=build /usr/local/bin/mindoodb /usr/local/bin/mindoodb
USER mindoodb
ENV MINDOODB_DATA_DIR=/var/lib/mindoodb \
    MINDOODB_LISTEN=0.0.0.0:5432
VOLUME /var/lib/mindoodb
EXPOSE 5432
# pg_isready exits 0 once the server answers a startup packet.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=6 \
  CMD ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]
# SIGTERM (docker stop) closes idle connections, lets running statements finish (up to 10 s)
# and exits 0; the store is closed cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/mindoodb"]
CMD ["serve"]
