"""The patent catalogue: registering patents, their register facts and owners."""
