"""Individual delivery passes (单人单证): issue, reissue and revoke (issuing), what the QR carries (codec), the
signing key beside the database (keys), and checking a scanned pass (check)."""
