"""The agent workspace for cases: queues, the phone-call flow, the case page, canned answers, shortcuts."""
