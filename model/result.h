// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/error.h"

#include <optional>
#include <utility>
#include <variant>

namespace Trove {

// An expected-like result: a value or an Error. The names follow std::expected so that this can
// become an alias once every compiler and tool we build with accepts <expected>.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(const T &value)
        : m_data(std::in_place_index<0>, value)
    {
    }
    Result(T &&value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(const Error &error)
        : m_data(std::in_place_index<1>, error)
    {
    }
    Result(Error &&error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool has_value() const { return m_data.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const Error &error() const { return std::get<1>(m_data); }

    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T &&operator*() && { return std::move(*this).value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    template<typename U>
    T value_or(U &&fallback) const
    {
        return has_value() ? value() : T(std::forward<U>(fallback));
    }

private:
    std::variant<T, Error> m_data;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(const Error &error)
        : m_error(error)
    {
    }
    Result(Error &&error)
        : m_error(std::move(error))
    {
    }

    bool has_value() const { return !m_error.has_value(); }
    explicit operator bool() const { return has_value(); }
    void value() const { }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace Trove
