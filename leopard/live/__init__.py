"""Live delivery, the product's core path: the per-user hub, the frames, the
brokers that hand committed events to it, a stream's session and the
delivered_at log."""
