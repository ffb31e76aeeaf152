"""Leopard: real-time notifications and task assignment over Server-Sent Events."""

__version__ = "0.1.0"
