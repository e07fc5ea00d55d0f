// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction} from "../../contracts/interfaces/IReserveVault.sol";
import {OperationHashing} from "../../contracts/libraries/OperationHashing.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {VaultFuzzBase} from "./VaultFuzzBase.sol";

/// @title The EIP-712 action names of configuration changes and their hash table.
/// @notice OperationHashing keeps keccak256 of each ConfigAction's name in a table
///         (ACTION_NAME_HASHES) instead of the names themselves; the vault hashes a ConfigChange
///         with the entry ConfigRules.actionNameHash returns. Properties, for every ConfigAction:
///         - the table has exactly one 32-byte entry per action;
///         - OperationHashing.actionNameHash(a) == keccak256(bytes(OperationHashing.actionName(a)));
///         - ConfigRules.actionNameHash(a) (what the vault signs with) returns the same hash;
///         - the names are the documented camelCase ones (IReserveVault.sol), pairwise distinct;
///         - ConfigRules.actionNameHash rejects a value past the last action (no read past the table).
contract ActionNamesTest is VaultFuzzBase {
    /// @dev Number of ConfigAction values (0 .. type(ConfigAction).max).
    uint256 private constant ACTION_COUNT = uint256(type(ConfigAction).max) + 1;

    /// @dev Every action, in one test: table length, each entry, and distinct hashes.
    function test_ActionNameHashIsKeccakOfTheNameForEveryAction() external {
        _assertEq(ACTION_COUNT, 23, "ConfigAction has 23 values (0..22)");
        _assertEq(OperationHashing.ACTION_NAME_HASHES.length, 32 * ACTION_COUNT, "one 32-byte table entry per action");
        ConfigRules rules = new ConfigRules();
        for (uint256 i = 0; i < ACTION_COUNT; ++i) {
            _checkAction(rules, ConfigAction(i));
            for (uint256 j = 0; j < i; ++j) {
                if (OperationHashing.actionNameHash(ConfigAction(i)) == OperationHashing.actionNameHash(ConfigAction(j))) {
                    revert(string.concat("actions ", vm.toString(j), " and ", vm.toString(i), " share a name hash"));
                }
            }
        }
    }

    /// @dev The same per action, for a fuzzed action value.
    function testFuzz_ActionNameHashIsKeccakOfTheName(uint8 actionRaw) external {
        _checkAction(new ConfigRules(), ConfigAction(actionRaw % ACTION_COUNT));
    }

    /// @dev The names are the camelCase names IReserveVault.sol documents for each action (a second,
    ///      independent source: a swap of two entries in both the names and the table is caught here).
    function test_ActionNamesAreTheDocumentedOnes() external pure {
        string[23] memory documented = [
            "addSigner",
            "removeSigner",
            "replaceSigner",
            "setThreshold",
            "setWithdrawalDelay",
            "setConfigDelay",
            "setExecutionWindow",
            "addGuardian",
            "removeGuardian",
            "replaceGuardian",
            "setGuardianThreshold",
            "setCouncilThreshold",
            "setLongDelay",
            "setCoolOff",
            "setRecoveryDelay",
            "setCouncilDelay",
            "setMaxFreeze",
            "setFreezeCooldown",
            "setVetoQuietPeriod",
            "setOutflowLimit",
            "allowDestination",
            "disallowDestination",
            "setAllowlistEnabled"
        ];
        for (uint256 i = 0; i < ACTION_COUNT; ++i) {
            _assertEq(
                keccak256(bytes(OperationHashing.actionName(ConfigAction(i)))),
                keccak256(bytes(documented[i])),
                string.concat("name of action ", vm.toString(i), " is ", documented[i])
            );
        }
    }

    /// @dev An out-of-range action cannot be decoded: ConfigRules reverts instead of reading past
    ///      the end of its table.
    function testFuzz_RulesRejectAnActionPastTheLast(uint256 raw) external {
        ConfigRules rules = new ConfigRules();
        uint256 value = _bound(raw, ACTION_COUNT, type(uint256).max - 1);
        (bool ok,) = address(rules).staticcall(abi.encodeWithSelector(ConfigRules.actionNameHash.selector, value));
        _assertTrue(!ok, string.concat("actionNameHash(", vm.toString(value), ") reverts"));
    }

    function _checkAction(ConfigRules rules, ConfigAction action) private pure {
        string memory name = OperationHashing.actionName(action);
        bytes32 expected = keccak256(bytes(name));
        string memory what = string.concat("action ", vm.toString(uint256(action)), " (", name, ")");
        _assertTrue(bytes(name).length > 0, string.concat(what, ": non-empty name"));
        _assertEq(OperationHashing.actionNameHash(action), expected, string.concat(what, ": table entry"));
        _assertEq(rules.actionNameHash(action), expected, string.concat(what, ": ConfigRules.actionNameHash"));
    }
}
