"""License service: licences taken on open-licence declarations (取得开放许可), their
payments, and the views of declarations and pledges it learns from other services."""
