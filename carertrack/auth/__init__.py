"""Sign-in, sign-out, lock-out, idle expiry and changing one's own password."""
