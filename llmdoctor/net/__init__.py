"""Everything that touches the network is set up here, so every probe sees what the user's SDK sees."""
