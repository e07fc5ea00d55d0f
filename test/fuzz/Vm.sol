// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @dev Where Hardhat's Solidity test runner (EDR), like Foundry, answers cheatcodes:
///      address(uint160(uint256(keccak256("hevm cheat code")))).
address constant VM_ADDRESS = 0x7109709ECfa91a80626fF3989D68f67F5b1DD12D;

/// @title The few cheatcodes the Solidity tests use.
/// @notice Hand-written because forge-std cannot be installed here (the project builds offline,
///         with no git submodules and no network). Every signature is copied from forge-std's
///         `Vm`, so the tests can switch to `forge-std/Vm.sol` by changing one import.
interface Vm {
    /// @notice An event recorded since `recordLogs`.
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    /// @notice The address of `privateKey`.
    function addr(uint256 privateKey) external pure returns (address account);

    /// @notice Signs `digest` with `privateKey` (raw secp256k1, no prefix); s is always low.
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    /// @notice Sets block.timestamp.
    function warp(uint256 newTimestamp) external;

    /// @notice Sets `account`'s ETH balance.
    function deal(address account, uint256 newBalance) external;

    /// @notice Discards the current fuzz input when `condition` is false.
    function assume(bool condition) external pure;

    /// @notice The next call must revert with exactly `revertData`.
    function expectRevert(bytes calldata revertData) external;

    /// @notice The next call must revert with a custom error whose selector is `revertData`.
    function expectRevert(bytes4 revertData) external;

    /// @notice The next call must revert (with any data).
    function expectRevert() external;

    /// @notice The next call is made by `msgSender`.
    function prank(address msgSender) external;

    /// @notice Every call until `stopPrank` is made by `msgSender`.
    function startPrank(address msgSender) external;

    /// @notice Ends `startPrank`.
    function stopPrank() external;

    /// @notice The next event emitted must match the one emitted next by the test (all topics and data).
    function expectEmit() external;

    /// @notice Snapshots the whole EVM state; `revertToState` restores it.
    function snapshotState() external returns (uint256 snapshotId);

    function revertToState(uint256 snapshotId) external returns (bool success);

    /// @notice Records the gas of the last external call as `name` in snapshots/`group`.json
    ///         (`hardhat test solidity --snapshot` writes it, `--snapshot-check` compares it).
    function snapshotGasLastCall(string calldata group, string calldata name) external returns (uint256 gasUsed);

    /// @notice Writes `value` to storage slot `slot` of `target`.
    function store(address target, bytes32 slot, bytes32 value) external;

    /// @notice Reads storage slot `slot` of `target`.
    function load(address target, bytes32 slot) external view returns (bytes32 data);

    /// @notice Starts recording every event emitted.
    function recordLogs() external;

    /// @notice The events recorded since `recordLogs` or the last call of this function.
    function getRecordedLogs() external returns (Log[] memory logs);

    /// @notice Decimal text of `value`, for assertion messages.
    function toString(uint256 value) external pure returns (string memory);
}
