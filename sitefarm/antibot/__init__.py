"""Anti-bot challenges (瑞数-style 412, 加速乐-style 521): pages, scripts and cookie checks."""
