"""Governance (督查与考核): department scorecards, the policy's task ledger, city monitoring and dashboards."""
