"""The protocol between terminal and central: message shapes (`protocol`), request signing
(`httpsig`), the httpx client (`client`), the sync agent (`agent`) and, under `central/`, the
central API server. Depends on `core` only."""
