"""The services behind the gateway: pooled clients per replica (passive health), and forwarding
`/api/v1/<service>/...` with the signed identity after the policy said yes."""
