// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @title NoReturnToken — TEST MOCK, never deploy
/// @notice A USDT-style ERC-20 whose `transfer`, `transferFrom` and `approve` return nothing,
///         so a plain `IERC20.transfer` call fails to decode its result. The vault must move it
///         through SafeERC20. Minimal on purpose: open mint, no metadata beyond name and symbol.
contract NoReturnToken {
    // name, symbol and decimals are ERC-20 getters: their names are the standard's ABI, so
    // const-name-snakecase is disabled for them.
    /// @notice The token's name.
    string public constant name = "No Return USD"; // solhint-disable-line const-name-snakecase
    /// @notice The token's symbol.
    string public constant symbol = "nrUSD"; // solhint-disable-line const-name-snakecase
    /// @notice The token's decimals.
    uint8 public constant decimals = 6; // solhint-disable-line const-name-snakecase

    /// @notice Balances by holder.
    mapping(address holder => uint256 amount) public balanceOf;
    /// @notice Allowances by owner and spender.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;
    /// @notice Total supply.
    uint256 public totalSupply;

    /// @notice ERC-20 Transfer: `value` moved from `from` to `to` (mint: from address(0)).
    /// @param from The sender.
    /// @param to The recipient.
    /// @param value The amount.
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice ERC-20 Approval: `owner` allowed `spender` to move `value`.
    /// @param owner The holder.
    /// @param spender The spender.
    /// @param value The allowance.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance(address holder, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);

    /// @notice Mints `amount` to `to`; anyone may call it (test token).
    /// @param to The recipient.
    /// @param amount The amount to mint.
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Moves `amount` from the caller to `to`. Returns nothing (the USDT quirk).
    /// @param to The recipient.
    /// @param amount The amount.
    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    /// @notice Moves `amount` from `from` to `to` against the caller's allowance. Returns nothing.
    /// @param from The holder.
    /// @param to The recipient.
    /// @param amount The amount.
    function transferFrom(address from, address to, uint256 amount) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert InsufficientAllowance(from, msg.sender, allowed, amount);
        allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
    }

    /// @notice Sets the caller's allowance for `spender`. Returns nothing.
    /// @param spender The spender.
    /// @param amount The allowance.
    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance(from, balance, amount);
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
