"""Report writers: figures in, PDF or CSV bytes out. They never open a session."""
