"""Small dialogs shared by several screens: confirm, prompt, zone change, a household card."""
