"""pciplan — plans to raise the Provincial Competitiveness Index (PCI) and the DDCI."""

__version__ = "0.1.0"
