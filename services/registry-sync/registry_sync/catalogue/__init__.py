"""Registry-sync's catalogue view: what listing told of each patent (title, kind, IPC and
industry codes), from which a registration's technical field and IP type are derived."""
